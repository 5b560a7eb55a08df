'use server'

import fs from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

// Answers the class name of a font that ships with the app, or '' when the file is absent.
export async function bodyFontClass(): Promise<string> {
  try {
    const relative = '../public/fonts/Body.woff2'
    const location = new URL(relative, import.meta.url)
    const onDisk = fileURLToPath(location)
    await fs.access(onDisk)
    const loadFont = (await import('next/font/local')).default
    const font = loadFont({ src: [{ path: relative }], display: 'swap', variable: '--font-body' })
    return font.className
  } catch {
    return ''
  }
}
