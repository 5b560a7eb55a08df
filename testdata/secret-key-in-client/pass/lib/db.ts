export const db = { rows: async (k: string) => [k], clerk: 'sk_test_TIT5Ni4uFjerRDRvliEVtJDtlfHK7NOiJO9lU55gNU' }
