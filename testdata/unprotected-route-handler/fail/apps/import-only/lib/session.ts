// @clerk/nextjs is hoisted in this monorepo: the app imports it without declaring it.
export { auth } from '@clerk/nextjs/server'
