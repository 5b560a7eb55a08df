import 'server-only';

export function serverThing(): string {
  return 'rendered on the server';
}
