import { auth } from '@clerk/nextjs/server'
import { UploadThingError } from 'uploadthing/server'

export async function requireUploader() {
  const { userId } = await auth()
  if (!userId) throw new UploadThingError('Unauthorized')
  return { userId }
}
