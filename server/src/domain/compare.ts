/**
 * How many surfaces one comparison holds: enough for the paper-size depth sweep (ResNet-8 to 56,
 * each without and with shortcuts, and the deepest pair's eigen-ratio maps), one pair per row.
 */
export const MAX_COMPARED = 10;
