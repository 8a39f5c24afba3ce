/** Runs the CLI's main() in this process with the console captured. Not a test file itself. */
import { main } from "../lib/cli/cli.ts";

/** What main() returned and printed. */
export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs main(`args`) in this process, capturing what it prints. */
export async function mainCaptured(args: string[]): Promise<Captured> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { log: console.log, error: console.error };
  console.log = (...a: unknown[]) => void out.push(a.join(" "));
  console.error = (...a: unknown[]) => void err.push(a.join(" "));
  try {
    const code = await main(args);
    return { code, stdout: out.join("\n"), stderr: err.join("\n") };
  } finally {
    console.log = saved.log;
    console.error = saved.error;
  }
}
