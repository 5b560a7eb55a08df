'use server'

import { Image } from '../models/image.model'

// Nothing imports this module either. Other files do import `next/image` and
// `../models/image.model`, whose names share its first part (`image`) but name other modules.
export async function deleteImage(id: string) {
  await Image.delete(id)
}
