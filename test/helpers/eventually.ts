// Waiting for something outside the test process (a process to end, a file to appear, a page to
// settle) that sends no message to wait on: poll, bounded.

/** Waits until `check` holds, polling; gives up after `limitMs` and returns the last answer. */
export async function eventually<T>(check: () => T | Promise<T>, ok: (value: T) => boolean, limitMs = 60_000): Promise<T> {
  const end = Date.now() + limitMs;
  let value = await check();
  while (!ok(value) && Date.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await check();
  }
  return value;
}
