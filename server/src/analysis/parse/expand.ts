// Dockerfile variable substitution ($VAR, ${VAR}, ${VAR:-default}, ${VAR:+alt}), as BuildKit
// applies it to ENV, WORKDIR, COPY paths and mount options.

export type Lookup = (name: string) => string | undefined;

export function expandVariables(value: string, lookup: Lookup, escape = '\\'): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === escape && value[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    if (ch !== '$') {
      out += ch;
      continue;
    }
    if (value[i + 1] === '{') {
      const close = value.indexOf('}', i + 2);
      if (close < 0) {
        out += value.slice(i);
        break;
      }
      const body = value.slice(i + 2, close);
      const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])(.*))?$/s.exec(body);
      if (!match) out += value.slice(i, close + 1);
      else {
        const [, name, op, word] = match;
        const current = lookup(name);
        const unset = op?.startsWith(':') ? !current : current === undefined;
        if (op === undefined) out += current ?? '';
        else if (op.endsWith('-')) out += unset ? expandVariables(word ?? '', lookup, escape) : current;
        else out += unset ? '' : expandVariables(word ?? '', lookup, escape);
      }
      i = close;
      continue;
    }
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(value.slice(i + 1));
    if (!match) {
      out += ch;
      continue;
    }
    out += lookup(match[0]) ?? '';
    i += match[0].length;
  }
  return out;
}

/** Names of the variables a value refers to. */
export function referencedVariables(value: string): string[] {
  const names: string[] = [];
  const re = /\$\{([A-Za-z_][A-Za-z0-9_]*)|\$([A-Za-z_][A-Za-z0-9_]*)/g;
  for (let m = re.exec(value); m; m = re.exec(value)) names.push(m[1] ?? m[2]);
  return names;
}
