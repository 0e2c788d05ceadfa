/** Version of the committed artefact; the training script writes `models/anomaly-model.v<version>.json`. Bump on any change to features, training set or options. */
export const ANOMALY_MODEL_VERSION = '1.0.0';
