/** Written into every failure file; replay refuses files from an incompatible format. */
export const VERSION = '0.1.0';
export const FAILURE_FORMAT = 1;
