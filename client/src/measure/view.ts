// The result of "Measure the Fix" as a web page beside the Dockerfile: both rebuild times, the diff
// of the fix and a button that applies exactly that edit, then a bar per step for each variant.
// Pure: the report in, HTML out; every piece of the user's text is escaped.
import type { MeasureReport, MeasuredStep } from '../../../server/src/measure/measure';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function seconds(s: number): string {
  return s >= 60 ? `${Math.floor(s / 60)} m ${Math.round(s % 60)} s` : `${s.toFixed(1)} s`;
}

/**
 * The page's Content-Security-Policy admits only the nonce'd style sheet, not style attributes:
 * each bar's width is a rule in that sheet, by the bar's id.
 */
function bars(title: string, id: string, steps: readonly MeasuredStep[], scale: number): { html: string; css: string } {
  const css: string[] = [];
  const rows = steps.filter((s) => !/^FROM\b/i.test(s.instruction)).map((step, i) => {
    const width = step.cached || scale === 0 ? 0 : Math.max(0.5, (step.seconds / scale) * 100);
    const label = step.cached ? 'CACHED' : seconds(step.seconds);
    css.push(`#${id}-${i} { width: ${width.toFixed(1)}%; }`);
    return `<tr><td class="line">${step.line}</td><td class="instruction" title="${escapeHtml(step.instruction)}">${escapeHtml(step.instruction)}</td>`
      + `<td class="bar"><div id="${id}-${i}" class="${step.cached ? 'cached' : 'ran'}"></div></td><td class="time">${label}</td></tr>`;
  });
  return { html: `<h2>${escapeHtml(title)}</h2><table>${rows.join('')}</table>`, css: css.join('\n') };
}

function diffLines(diff: string): string {
  return diff.split('\n').filter((line) => !/^={3,}$/.test(line)).map((line) => {
    const kind = line.startsWith('+') && !line.startsWith('+++') ? 'add' : line.startsWith('-') && !line.startsWith('---') ? 'del' : line.startsWith('@@') ? 'hunk' : '';
    return `<span class="${kind}">${escapeHtml(line)}</span>`;
  }).join('\n');
}

export function renderMeasureHtml(report: MeasureReport, file: string, nonce: string, cspSource: string, applied = false): string {
  const scale = Math.max(...[...report.original.steps, ...report.fixed.steps].map((s) => s.seconds), 0);
  const faster = report.speedup >= 1 ? `${report.speedup.toFixed(1)}× faster` : `${(1 / report.speedup).toFixed(1)}× slower`;
  const without = bars('Without the fix', 'original', report.original.steps, scale);
  const withFix = bars('With the fix', 'fixed', report.fixed.steps, scale);
  const engine = report.engine.buildkitVersion ? `${report.engine.builder}, BuildKit ${report.engine.buildkitVersion}` : report.engine.builder;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<title>Measured: ${escapeHtml(file)}</title>
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 16px; }
.headline { font-size: 1.3em; }
.headline b { color: var(--vscode-charts-green); }
table { border-collapse: collapse; width: 100%; }
td { padding: 2px 6px; white-space: nowrap; }
td.instruction { font-family: var(--vscode-editor-font-family); max-width: 420px; overflow: hidden; text-overflow: ellipsis; }
td.line, td.time { text-align: right; color: var(--vscode-descriptionForeground); }
td.bar { width: 40%; }
td.bar div { height: 10px; }
div.ran { background: var(--vscode-charts-orange); }
div.cached { background: var(--vscode-charts-green); }
pre { background: var(--vscode-textCodeBlock-background); padding: 8px; overflow-x: auto; }
.add { color: var(--vscode-gitDecoration-addedResourceForeground); }
.del { color: var(--vscode-gitDecoration-deletedResourceForeground); }
.hunk { color: var(--vscode-descriptionForeground); }
button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: none; padding: 6px 14px; cursor: pointer; }
${without.css}
${withFix.css}
</style></head>
<body>
<h1>${escapeHtml(file)}</h1>
<p class="headline">Rebuild after a one-line change: <b>${seconds(report.fixed.rebuildSeconds)}</b> with the fix, ${seconds(report.original.rebuildSeconds)} without: <b>${faster}</b></p>
<p>Median of ${report.rounds} round${report.rounds === 1 ? '' : 's'}; ${escapeHtml(report.change)} changed before each rebuild; builder ${escapeHtml(engine)}${report.buildsIn === 'ci' ? '; CI scenario (empty builder, exported layer cache)' : ''}.</p>
<h2>The fix</h2>
<pre>${diffLines(report.diff)}</pre>
<p>${applied ? '<b>The fix is applied.</b>' : '<button id="apply">Apply the fix</button>'}</p>
${without.html}
${withFix.html}
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
document.getElementById('apply')?.addEventListener('click', () => vscode.postMessage({ type: 'apply' }));
</script>
</body></html>`;
}
