// Colour as the IO decides it: chalk's own default looks at process.stdout and the environment, which
// a report rendered for another stream (or a test) does not share. Level 1: the 16 basic colours.
import { Chalk, type ChalkInstance } from 'chalk';

const ON = new Chalk({ level: 1 });
const OFF = new Chalk({ level: 0 });

export function colours(color: boolean): ChalkInstance {
  return color ? ON : OFF;
}
