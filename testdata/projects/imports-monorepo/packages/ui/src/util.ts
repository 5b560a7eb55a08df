export const cx = (...names: string[]) => names.join(' ');
