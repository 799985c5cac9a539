import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { enumOf } from "../../graphql/enums.js";
import { HEALTH_STATUSES, type HealthState } from "./health-status.js";

export const HealthStatus = enumOf(HEALTH_STATUSES);
export type HealthStatus = HealthState;
registerEnumType(HealthStatus, {
  name: "HealthStatus",
  description: "ok when database, storage and queue all answer; degraded otherwise",
});

@ObjectType({ description: "The Loss Atlas data this service runs on, created on its first start" })
export class Installation {
  @Field(() => ID)
  id!: string;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}

@ObjectType({ description: "One dependency's answer to a health probe" })
export class ComponentHealth {
  @Field(() => Boolean)
  ok!: boolean;

  @Field(() => Float, { description: "Round-trip time of the probe, in milliseconds" })
  latencyMs!: number;

  @Field(() => String, { nullable: true, description: "Why the probe failed, when it did" })
  error!: string | null;
}

@ObjectType()
export class DatabaseHealth extends ComponentHealth {
  @Field(() => String, { nullable: true, description: "PostgreSQL server version" })
  serverVersion!: string | null;

  @Field(() => Boolean, { description: "True for the embedded PostgreSQL of one-machine mode" })
  embedded!: boolean;
}

@ObjectType()
export class StorageHealth extends ComponentHealth {
  @Field(() => String)
  bucket!: string;

  @Field(() => Boolean, { description: "True for the file store of one-machine mode (objects in the data folder)" })
  embedded!: boolean;
}

@ObjectType()
export class QueueHealth extends ComponentHealth {
  @Field(() => Int, { description: "Jobs waiting in every queue" })
  queued!: number;

  @Field(() => Int, { description: "Jobs being worked on" })
  active!: number;

  @Field(() => Int, { description: "Recently failed jobs still retained" })
  failed!: number;
}

@ObjectType({ description: "A compute worker process with a recent heartbeat" })
export class Worker {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  hostname!: string;

  @Field(() => Int)
  pid!: number;

  @Field(() => String, { description: "tensorflow-gpu, tensorflow, wasm or cpu" })
  backend!: string;

  @Field(() => String)
  device!: string;

  @Field(() => Boolean)
  gpu!: boolean;

  @Field(() => String)
  version!: string;

  @Field(() => GraphQLISODateTime)
  startedAt!: Date;

  @Field(() => GraphQLISODateTime)
  lastHeartbeatAt!: Date;
}

@ObjectType({ description: "Status of the service and everything it depends on; every field but status is null for anonymous callers" })
export class Health {
  @Field(() => HealthStatus)
  status!: HealthStatus;

  @Field(() => String, { nullable: true })
  version!: string | null;

  @Field(() => Float, { nullable: true, description: "Seconds since this API process started" })
  uptimeSeconds!: number | null;

  @Field(() => Installation, { nullable: true, description: "Null while the database is unreachable" })
  installation!: Installation | null;

  @Field(() => DatabaseHealth, { nullable: true })
  database!: DatabaseHealth | null;

  @Field(() => StorageHealth, { nullable: true })
  storage!: StorageHealth | null;

  @Field(() => QueueHealth, { nullable: true })
  queue!: QueueHealth | null;

  @Field(() => [Worker], { nullable: true, description: "Workers with a heartbeat within WORKER_TIMEOUT_SECONDS" })
  workers!: Worker[] | null;
}
