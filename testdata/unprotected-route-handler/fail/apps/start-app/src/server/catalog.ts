export const catalog = [{ id: 'n1', owner: 'user_1', text: 'draft' }]
