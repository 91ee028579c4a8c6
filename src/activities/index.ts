export { createInferenceActivities, type InferenceActivities, type InferenceActivityDeps } from './inference-activities';
