export { settings as clerkConfig } from './a';
