export const db = {
  async insert(owner: string, text: string) {},
  async remove(id: string) {},
  async update(id: string, text: string) {},
}
