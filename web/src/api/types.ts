/** Types of the API's objects as this app selects them (see schema/schema.graphql). */

export type ProjectRole = "OWNER" | "EDITOR" | "VIEWER" | "LINK" | "PUBLIC";
export type Visibility = "PRIVATE" | "LINK" | "PUBLIC";
export type SurfaceKind = "PLANE" | "LINE" | "INTERPOLATION" | "PCA";
export type SurfaceStatus = "QUEUED" | "RUNNING" | "READY" | "FAILED" | "CANCELLED";
export type AnnotationKind = "NOTE" | "MINIMUM" | "SADDLE";

export interface User { id: string; name: string; email: string }
export interface Project {
  id: string; name: string; description: string; visibility: Visibility; myRole: ProjectRole;
  shareToken: string | null; owner: User; createdAt: string;
}
export interface Layer { name: string; className: string; params: number }
export interface Model {
  id: string; name: string; parameterCount: number; inputShape: number[]; outputShape: number[];
  loss: string | null; layers: Layer[]; createdAt: string;
}
export interface Dataset {
  id: string; name: string; format: string; rows: number; inputShape: number[]; classes: number | null; createdAt: string;
}
export interface Axis { min: number; max: number; count: number }
export interface CriticalPoint { kind: "MINIMUM" | "SADDLE" | "MAXIMUM"; x: number; y: number; value: number }
export interface PathPoint { step: number; x: number; y: number; distance?: number; offPlaneFraction?: number }
export interface Annotation {
  id: string; x: number; y: number; kind: AnnotationKind; label: string; body: string; author: User | null; updatedAt: string;
}
export interface SurfaceSummary {
  id: string; name: string; kind: SurfaceKind; status: SurfaceStatus; pointsDone: number; pointsTotal: number;
  thumbnailUrl: string | null; createdAt: string; projectId: string; tags: string[];
  model: { id: string; name: string }; dataset: { id: string; name: string };
  statistics: { loss: { min: number | null; max: number | null } } | null;
}
export interface Surface extends SurfaceSummary {
  myRole: ProjectRole;
  xs: number[]; ys: number[];
  params: { x: Axis; y: Axis | null; norm: string; samples: number | null; seed: number; checkpointStep: number | null; directionsFrom: string | null };
  explainedVariance: number[] | null;
  errorMessage: string | null;
  criticalPoints: CriticalPoint[];
  path: PathPoint[] | null;
  modelPositions: { name: string; x: number; y: number }[];
  valuesUrl: string | null;
  statistics: { loss: { min: number | null; max: number | null }; accuracy: { min: number | null; max: number | null }; nonConvexity: number | null } | null;
}
export interface ApiTokenInfo { id: string; name: string; prefix: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null }
export interface Member { role: "EDITOR" | "VIEWER"; addedAt: string; user: User }
