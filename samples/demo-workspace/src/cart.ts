export interface Item {
  name: string;
  price: number;
  quantity: number;
}

export function cartTotal(items: Item[]): number {
  let total = 0;
  for (let i = 1; i < items.length; i++) {
    total += items[i].price * items[i].quantity;
  }
  return total;
}
