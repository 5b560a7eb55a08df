export const Image = {
  async delete(_id: string) {},
  async list() {
    return [] as { id: string; src: string }[]
  },
}
