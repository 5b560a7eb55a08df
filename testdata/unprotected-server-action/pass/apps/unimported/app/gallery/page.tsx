import NextImage from 'next/image'
import { Image } from '../../lib/models/image.model'

export default async function Gallery() {
  const images = await Image.list()
  return images.map((i) => <NextImage key={i.id} src={i.src} alt="" width={64} height={64} />)
}
