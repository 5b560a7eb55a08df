import { bodyFontClass } from './fonts'

export default async function Home() {
  return <main className={await bodyFontClass()}>home</main>
}
