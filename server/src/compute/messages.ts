/** What the owner of a computation reads when workers keep dying on it. */

/** "once", "twice", "three times", ... for messages to people. */
export function times(n: number): string {
  return n === 1 ? "once" : n === 2 ? "twice" : n === 3 ? "three times" : `${n} times`;
}

/** What the owner of a surface reads when workers keep dying on one tile. */
export function diedOnTileMessage(tile: number, deaths: number): string {
  return `A worker died computing tile ${tile} ${times(deaths)}; the model may need more memory than a worker has`;
}

export function diedPreparingMessage(deaths: number): string {
  return `A worker died preparing this surface ${times(deaths)}; the model may need more memory than a worker has`;
}

export function diedCurvatureMessage(deaths: number): string {
  return `A worker died computing this curvature ${times(deaths)}; the model may need more memory than a worker has`;
}
