'use server'

import fs from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

// Near miss: the bundled file's content is read and answered.
export async function bodyFontData(): Promise<string> { // expect: unprotected-server-action
  const relative = '../data/fonts.json'
  const onDisk = fileURLToPath(new URL(relative, import.meta.url))
  await fs.access(onDisk)
  return fs.readFile(onDisk, 'utf8')
}

// Near miss: no input, but the file checked is the server's, outside the app.
export async function hasSharedSettings(): Promise<boolean> { // expect: unprotected-server-action
  const onDisk = '/var/lib/shared/settings.json'
  await fs.access(onDisk)
  const loadFont = (await import('next/font/local')).default
  return typeof loadFont === 'function'
}
