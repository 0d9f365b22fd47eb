// How printed commands name the program: one rule for the CLI's output and the report pages, so
// it is defined in the report layer (which the CLI may import, but not the other way round).
export { commandLine, programName, replayCommandFor, shellQuote } from '../report/command-line.js';
