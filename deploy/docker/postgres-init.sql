-- One database per MlOps service (README, "Architecture": services never read each other's tables). Run once by the
-- postgres image on an empty data volume (/docker-entrypoint-initdb.d), as POSTGRES_USER, which owns them; each
-- service applies its own migrations at start-up.
CREATE DATABASE mlops_registry;
CREATE DATABASE mlops_monitoring;
CREATE DATABASE mlops_orchestration;
CREATE DATABASE mlops_training;
CREATE DATABASE mlops_notifications;
