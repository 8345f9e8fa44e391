// @gantry/proto: the gantry.v1 API, generated from proto/ by `nx run proto:generate`.
export * from './gen/gantry/v1/job';
export * from './gen/gantry/v1/node';
export * from './gen/gantry/v1/job_service';
export * from './gen/gantry/v1/admin_service';
export * from './gen/gantry/v1/agent';
export * from './gen/gantry/v1/workloads';
export * from './gen/gantry/v1/file_service';
export * from './gen/gantry/v1/rental_service';
export { Duration } from './gen/google/protobuf/duration';
export { Timestamp } from './gen/google/protobuf/timestamp';
export { GANTRY_FILE_DESCRIPTOR_SET_BASE64 } from './gen/descriptor-set';
