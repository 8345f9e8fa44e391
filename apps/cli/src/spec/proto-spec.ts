/**
 * The validated spec as the gantry.v1 message: the same mapping the control plane uses
 * (@gantry/grpc), so the server receives exactly what was checked (defaults applied, priority 0
 * included, which proto3 could not tell from unset otherwise).
 */
export { toProtoSpec } from '@gantry/grpc';
