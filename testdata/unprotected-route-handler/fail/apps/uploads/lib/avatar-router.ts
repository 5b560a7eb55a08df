import { createUploadthing } from 'uploadthing/next'

const f = createUploadthing()

// No `.middleware()` at all.
export const avatarRouter = {
  avatar: f({ image: {} }).onUploadComplete(async ({ file }) => ({ url: file.url })),
}
