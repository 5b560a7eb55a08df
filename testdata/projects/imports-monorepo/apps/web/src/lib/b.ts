export const base = { region: 'eu' };
