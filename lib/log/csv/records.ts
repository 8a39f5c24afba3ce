/**
 * RFC 4180 records from text that arrives in chunks: a record may span chunks
 * and, inside quotes, lines. Lines without a quote (nearly every row of a
 * loadgate log) take a fast path that splits on commas.
 *
 * @example
 * ```ts
 * const parser = new CsvRecordParser();
 * const rows: string[][] = [];
 * parser.push('a,"b\n', (r) => rows.push(r));
 * parser.push('c",d\n', (r) => rows.push(r));
 * parser.end((r) => rows.push(r)); // rows: [["a", "b\nc", "d"]]
 * ```
 *
 * @module
 */

/** The longest record read: no log row comes near it, and a file without newlines fails early. */
export const MAX_RECORD_CHARS = 4 * 1024 * 1024;

/** Incremental RFC 4180 parser. */
export class CsvRecordParser {
  #rest = "";
  /** Lines of a record whose quotes are not yet balanced. */
  #open = "";
  #records = 0;

  /** Records emitted so far. */
  get records(): number {
    return this.#records;
  }

  /** Feeds `text`; calls `onRecord` for each complete record. */
  push(text: string, onRecord: (row: string[]) => void): void {
    const buf = this.#rest + text;
    let at = 0;
    for (let nl = buf.indexOf("\n", at); nl >= 0; nl = buf.indexOf("\n", at)) {
      this.#line(buf.slice(at, nl), onRecord);
      at = nl + 1;
    }
    this.#rest = buf.slice(at);
    if (this.#rest.length + this.#open.length > MAX_RECORD_CHARS) {
      throw new SyntaxError(`A record longer than ${MAX_RECORD_CHARS} characters`);
    }
  }

  /** Ends the input: emits a last record without a newline. Throws on an unclosed quote. */
  end(onRecord: (row: string[]) => void): void {
    if (this.#rest !== "") this.#line(this.#rest, onRecord);
    this.#rest = "";
    if (this.#open !== "") throw new SyntaxError("Quoted field not terminated at the end");
  }

  #line(raw: string, onRecord: (row: string[]) => void): void {
    if (this.#open === "") {
      const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
      if (line.indexOf('"') < 0) {
        if (line !== "") this.#emit(line.split(","), onRecord);
        return;
      }
      if (quotesBalanced(line)) return this.#emit(parseQuoted(line), onRecord);
      this.#open = raw;
      return;
    }
    this.#open += "\n" + raw;
    if (this.#open.length > MAX_RECORD_CHARS) {
      throw new SyntaxError(`A record longer than ${MAX_RECORD_CHARS} characters`);
    }
    if (quotesBalanced(this.#open)) {
      const text = this.#open.endsWith("\r") ? this.#open.slice(0, -1) : this.#open;
      this.#open = "";
      this.#emit(parseQuoted(text), onRecord);
    }
  }

  #emit(row: string[], onRecord: (row: string[]) => void): void {
    this.#records++;
    onRecord(row);
  }
}

function quotesBalanced(text: string): boolean {
  let n = 0;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) n++;
  return n % 2 === 0;
}

/** Fields of one complete record that holds quotes. Throws on a stray quote. */
function parseQuoted(text: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new SyntaxError("Quoted field not terminated");
        field += text.slice(i, q);
        if (text[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      if (i < text.length && text[i] !== ",") {
        throw new SyntaxError(`Invalid closing quote before "${text.slice(i, i + 10)}"`);
      }
    } else {
      const comma = text.indexOf(",", i);
      const end = comma < 0 ? text.length : comma;
      field = text.slice(i, end);
      if (field.includes('"')) throw new SyntaxError(`Invalid opening quote in "${field}"`);
      i = end;
    }
    fields.push(field);
    if (i >= text.length) return fields;
    i++; // the comma
  }
}
