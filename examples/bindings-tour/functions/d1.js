// D1 databases.
import { missingBinding } from "../lib/missing-binding.js";

export async function onRequest(context) {
  if (!context.env.NORTHWIND_DB) return missingBinding("D1 databases", "NORTHWIND_DB");
  // Create a prepared statement with our query
  const ps = context.env.NORTHWIND_DB.prepare("SELECT * from users");
  const data = await ps.first();

  return Response.json(data);
}
