/** Runs the CLI in-process with captured output, as a user would from a shell (no TTY). */
import { main } from '../../src/cli/main.js';

export function captureStream(): NodeJS.WriteStream & { text: string } {
  const s = {
    text: '',
    isTTY: false,
    write(chunk: string | Uint8Array) {
      s.text += String(chunk);
      return true;
    },
  };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

/** `spelunk <argv...>`: its exit code, stdout and stderr. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = captureStream();
  const stderr = captureStream();
  const code = await main(argv, { stdout, stderr });
  return { code, out: stdout.text, err: stderr.text };
}
