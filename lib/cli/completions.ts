/**
 * `loadgate completions bash|zsh|fish`: the shell completion script, made
 * from a list of commands and their flag names (the flag specs feed it, so
 * completions cannot drift from what the parser accepts).
 *
 * @example
 * ```ts
 * completionScript("bash", [{ name: "run", flags: ["url", "concurrency"] }]);
 * ```
 *
 * @module
 */

import { UsageError } from "../base/errors.ts";

/** Shells a script can be made for. */
export const SHELLS = ["bash", "zsh", "fish"] as const;

/** A shell's name. */
export type Shell = (typeof SHELLS)[number];

/** One command and the long names of its flags (without dashes). */
export interface CompletionCommand {
  name: string;
  flags: readonly string[];
  /** One line shown by shells that show descriptions (zsh, fish). */
  description?: string;
}

/** Checks a shell name. Throws {@linkcode UsageError} naming the shells. */
export function parseShell(text: string | undefined): Shell {
  if ((SHELLS as readonly (string | undefined)[]).includes(text)) return text as Shell;
  throw new UsageError(
    `Cannot make completions for "${text ?? ""}": expected one of ${SHELLS.join(", ")}`,
  );
}

const SAFE = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

function checkNames(commands: readonly CompletionCommand[]): void {
  for (const c of commands) {
    for (const n of [c.name, ...c.flags]) {
      // Names go into shell code unquoted: only plain words may.
      if (!SAFE.test(n)) throw new TypeError(`Cannot complete "${n}": not a plain word`);
    }
  }
}

function bash(program: string, commands: readonly CompletionCommand[]): string {
  const fn = `_${program.replace(/-/g, "_")}_complete`;
  const cases = commands.map((c) =>
    `    ${c.name}) opts="${c.flags.map((f) => `--${f}`).join(" ")}" ;;`
  );
  return [
    `# bash completion for ${program}: source this file, or put it in ~/.local/share/bash-completion/completions/${program}`,
    `${fn}() {`,
    `  local cur="\${COMP_WORDS[COMP_CWORD]}" opts=""`,
    `  if [ "$COMP_CWORD" -eq 1 ]; then`,
    `    COMPREPLY=($(compgen -W "${
      commands.map((c) => c.name).join(" ")
    } --help --version" -- "$cur"))`,
    `    return`,
    `  fi`,
    `  case "\${COMP_WORDS[1]}" in`,
    ...cases,
    `  esac`,
    `  case "$cur" in`,
    `    -*) COMPREPLY=($(compgen -W "$opts --help" -- "$cur")) ;;`,
    `    *) COMPREPLY=($(compgen -f -- "$cur")) ;;`,
    `  esac`,
    `}`,
    `complete -F ${fn} ${program}`,
    ``,
  ].join("\n");
}

function zsh(program: string, commands: readonly CompletionCommand[]): string {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const fn = `_${program.replace(/-/g, "_")}`;
  const cases = commands.map((c) =>
    `    ${c.name}) _arguments ${
      [...c.flags, "help"].map((f) => quote(`--${f}[${f}]`)).join(" ")
    } '*:file:_files' ;;`
  );
  return [
    `#compdef ${program}`,
    `# zsh completion for ${program}: put this file in a folder of $fpath as ${fn}`,
    `${fn}() {`,
    `  if (( CURRENT == 2 )); then`,
    `    local -a commands=(${
      commands.map((c) => quote(`${c.name}:${(c.description ?? c.name).replace(/:/g, "\\:")}`))
        .join(" ")
    })`,
    `    _describe command commands`,
    `    return`,
    `  fi`,
    `  shift words; (( CURRENT-- ))`,
    `  case "$words[1]" in`,
    ...cases,
    `  esac`,
    `}`,
    `compdef ${fn} ${program}`,
    ``,
  ].join("\n");
}

function fish(program: string, commands: readonly CompletionCommand[]): string {
  const quote = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  const names = commands.map((c) => c.name).join(" ");
  const lines = [`# fish completion for ${program}: put this file in ~/.config/fish/completions/`];
  for (const c of commands) {
    lines.push(
      `complete -c ${program} -f -n "not __fish_seen_subcommand_from ${names}" -a ${c.name} -d ${
        quote(c.description ?? c.name)
      }`,
    );
    for (const f of c.flags) {
      lines.push(`complete -c ${program} -n "__fish_seen_subcommand_from ${c.name}" -l ${f}`);
    }
  }
  return lines.join("\n") + "\n";
}

/** The completion script of `program` for `shell`. */
export function completionScript(
  shell: Shell,
  commands: readonly CompletionCommand[],
  program = "loadgate",
): string {
  checkNames([...commands, { name: program, flags: [] }]);
  switch (shell) {
    case "bash":
      return bash(program, commands);
    case "zsh":
      return zsh(program, commands);
    case "fish":
      return fish(program, commands);
  }
}
