// The AWS SDK for JavaScript v3 against `smmock serve`: create, get, delete with a
// recovery window, restore, list with IncludePlannedDeletion. Prints one JSON object
// with what each call returned; tests/test_server_js.py checks it.
// Usage: node sdk_v3.mjs ENDPOINT_URL
import {
  SecretsManagerClient,
  CreateSecretCommand,
  GetSecretValueCommand,
  DeleteSecretCommand,
  RestoreSecretCommand,
  ListSecretsCommand,
} from "@aws-sdk/client-secrets-manager";

const client = new SecretsManagerClient({
  endpoint: process.argv[2],
  region: "eu-west-2",
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not-checked" },
  maxAttempts: 1,
});

const name = "development/MyTestDatabase";
const strip = ({ $metadata, ...rest }) => rest;
const listNames = async (includePlanned) => {
  const listed = await client.send(new ListSecretsCommand({ IncludePlannedDeletion: includePlanned }));
  return listed.SecretList.map((s) => ({ Name: s.Name, DeletedDate: s.DeletedDate ?? null }));
};

const out = {};
out.create = strip(await client.send(new CreateSecretCommand({ Name: name, SecretString: '{"user":"admin"}' })));
out.get = strip(await client.send(new GetSecretValueCommand({ SecretId: name })));
out.deleted = strip(await client.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 14 })));
out.listedActive = await listNames(false);
out.listedPlanned = await listNames(true);
try {
  await client.send(new GetSecretValueCommand({ SecretId: name }));
  out.getWhileScheduled = "no error";
} catch (error) {
  out.getWhileScheduled = { name: error.name, message: error.message, status: error.$metadata.httpStatusCode };
}
out.restored = strip(await client.send(new RestoreSecretCommand({ SecretId: name })));
out.listedAfterRestore = await listNames(false);
out.getAfterRestore = (await client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString;
console.log(JSON.stringify(out));
