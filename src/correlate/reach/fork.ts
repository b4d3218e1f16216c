// What the data cannot tell is forked: a walk that meets an open question (NeedsAnswer) is walked again
// once for each answer, until every combination has a result or there are too many of them.
import { NeedsAnswer, type Question } from './packet.js';

/** Walks with every combination of answers up to this many walks; past it the verdict is unknown. */
export const MAX_WALKS = 64;

export interface Forked<T> {
  walked: T[];
  /** Every question some walk asked, by key. */
  questions: Map<string, Question>;
  /** More combinations were left than MAX_WALKS allows. */
  exhausted: boolean;
}

/** Runs `walk` with every combination of answers to the questions it raises, up to MAX_WALKS. */
export function forkAnswers<T>(walk: (answers: Map<string, boolean>) => T): Forked<T> {
  const questions = new Map<string, Question>();
  const walked: T[] = [];
  const queue: Map<string, boolean>[] = [new Map()];
  while (queue.length > 0 && walked.length + queue.length <= MAX_WALKS) {
    const answers = queue.shift() as Map<string, boolean>;
    try {
      walked.push(walk(answers));
    } catch (e) {
      if (!(e instanceof NeedsAnswer)) throw e;
      questions.set(e.question.key, e.question);
      // "Passes" / "matches" first: the walk shown is the one where what cannot be told lets the packet on.
      queue.push(new Map([...answers, [e.question.key, true]]), new Map([...answers, [e.question.key, false]]));
    }
  }
  return { walked, questions, exhausted: queue.length > 0 };
}
