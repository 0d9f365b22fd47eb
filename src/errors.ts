/** Bad input from the user: the CLI prints the message as one line on stderr and exits 2. */
export class InputError extends Error {}
