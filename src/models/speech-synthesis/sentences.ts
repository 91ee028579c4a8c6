/** Words whose trailing period ends neither a sentence nor a clause. */
const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'jr', 'sr', 'vs', 'etc', 'e.g', 'i.e', 'no', 'approx', 'fig']);

export interface Clause {
  text: string;
  /** The punctuation that ended it: `.`, `!`, `?`, `,`, `;`, `:`, or `''` (none). */
  end: string;
}

/** Punctuation run (with any closing quotes/brackets) followed by whitespace or the end of the text. */
const CLAUSE_END = /([.!?,;:]+)["'”’)\]]*(?=\s|$)/g;
const SENTENCE_MARKS = /[.!?]/;

function endsWithAbbreviation(before: string): boolean {
  const word = /([\p{L}.]+)$/u.exec(before)?.[1];
  return word !== undefined && ABBREVIATIONS.has(word.toLowerCase());
}

/** The mark that matters in a run such as `?!` or `...`: the first sentence mark, else the first one. */
function markOf(run: string): string {
  return [...run].find((ch) => SENTENCE_MARKS.test(ch)) ?? run[0];
}

/**
 * Splits text into clauses at punctuation followed by whitespace (so `3.5` and `e.g.` mid-word stay
 * whole); a period after a known abbreviation (`Dr.`, `Mr.`) ends nothing; the end of a line ends a
 * sentence (its last clause gets `.` unless it already ends in `.`, `!` or `?`).
 */
export function splitClauses(text: string): Clause[] {
  const clauses: Clause[] = [];
  for (const line of text.split(/\n\s*/)) {
    const first = clauses.length;
    let start = 0;
    for (const match of line.matchAll(CLAUSE_END)) {
      const at = match.index ?? 0;
      const mark = markOf(match[1]);
      if (mark === '.' && match[1].length === 1 && endsWithAbbreviation(line.slice(start, at))) continue;
      const clause = line.slice(start, at).trim();
      if (clause) clauses.push({ text: clause, end: mark });
      start = at + match[0].length;
    }
    const rest = line.slice(start).trim();
    if (rest) clauses.push({ text: rest, end: '' });
    const last = clauses.length > first ? clauses[clauses.length - 1] : undefined;
    if (last && !SENTENCE_MARKS.test(last.end)) last.end = '.';
  }
  return clauses;
}

/** Clauses grouped into sentences (a sentence ends at `.`, `!` or `?`; text without one is one sentence ending in `.`). */
export function splitSentences(text: string): Clause[][] {
  const sentences: Clause[][] = [];
  let current: Clause[] = [];
  for (const clause of splitClauses(text)) {
    current.push(clause);
    if (SENTENCE_MARKS.test(clause.end)) {
      sentences.push(current);
      current = [];
    }
  }
  if (current.length > 0) sentences.push(current);
  return sentences;
}
