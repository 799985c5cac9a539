/**
 * GraphQL enums made from the one list of their values (an `as const` array in the engine or the
 * domain), so a value is declared once. Each value's GraphQL name is its spelling in upper snake
 * case: "filter" is FILTER, "hold-a" HOLD_A, "lambdaMax" LAMBDA_MAX.
 */

type Snake<S extends string> = S extends `${infer C}${infer Rest}` ? `${C extends Lowercase<C> ? C : `_${C}`}${Snake<Rest>}` : "";
/** The GraphQL name of an enum value, at the type level (see enumName). */
export type EnumName<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${EnumName<Head>}_${EnumName<Tail>}` : Uppercase<Snake<S>>;

/** The GraphQL name of an enum value: camelCase and kebab-case become UPPER_SNAKE_CASE. */
export function enumName(value: string): string {
  return value
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/-/g, "_")
    .toUpperCase();
}

/** The enum object type-graphql's registerEnumType takes: { FILTER: "filter", ... }. */
export function enumOf<const V extends string>(values: readonly V[]): { readonly [K in V as EnumName<K>]: K } {
  return Object.fromEntries(values.map((value) => [enumName(value), value])) as { readonly [K in V as EnumName<K>]: K };
}
