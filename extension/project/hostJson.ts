// The project model is plain Node and lives in shared/ so that `npm start -- --project` reads it too.
export * from '../../shared/mcpProject/hostJson';
