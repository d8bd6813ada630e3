// Configuration for the MikroORM CLI (`npx mikro-orm migration:create`).
import { ormOptions } from '../src/db/orm-options.ts';

export default ormOptions({
  clientUrl: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/vodokanal_dev',
});
