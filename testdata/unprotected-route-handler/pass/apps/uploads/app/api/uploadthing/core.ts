import { auth } from '@clerk/nextjs/server'
import { createUploadthing, type FileRouter } from 'uploadthing/next'
import { UploadThingError } from 'uploadthing/server'
import { requireUploader } from '../../../lib/upload-auth'

const f = createUploadthing()

export const ourFileRouter = {
  imageUploader: f({ image: { maxFileSize: '4MB' } })
    .middleware(async () => {
      const { userId } = await auth()
      if (!userId) throw new UploadThingError('Unauthorized')
      return { userId }
    })
    .onUploadComplete(async ({ metadata }) => ({ uploadedBy: metadata.userId })),
  pdfUploader: f({ pdf: { maxFileSize: '16MB' } })
    .middleware(requireUploader)
    .onUploadComplete(async ({ file }) => ({ url: file.ufsUrl })),
  videoUploader: f({ video: {} })
    .middleware(async () => {
      const { userId } = await auth.protect()
      return { userId }
    })
    .onUploadComplete(async () => {}),
} satisfies FileRouter

export type OurFileRouter = typeof ourFileRouter
