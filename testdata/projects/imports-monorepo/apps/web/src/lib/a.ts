import { base } from './b';

export const settings = { name: 'app', ...base };
