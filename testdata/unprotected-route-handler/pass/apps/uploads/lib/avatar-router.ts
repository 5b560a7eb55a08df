import { createUploadthing } from 'uploadthing/next'
import { requireUploader } from './upload-auth'

const f = createUploadthing()

export const avatarRouter = {
  avatar: f({ image: {} }).middleware(() => requireUploader()).onUploadComplete(async () => {}),
}
