/**
 * Names interned to small numbers, kept with what a cycle works out for the next (running
 * facts, pending tiers): a column of numbers stands for a column of strings.
 */
export class Names {
  readonly ids = new Map<string, number>();
  readonly names: string[] = [];

  of(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.push(name) - 1;
      this.ids.set(name, id);
    }
    return id;
  }
}
