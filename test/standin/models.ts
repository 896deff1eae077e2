/** The models listing: `GET .../models` (the region's list) and `GET .../models/<id>` (one model, or 404). */
import type http from 'node:http';
import { modelNotFound } from './request';
import { sendError, sendJson } from './wire';

const model = (id: string) => ({ id, object: 'model', created: 1780272000, owned_by: 'openai' });

/** Answers for the models a region serves (`served`); `id` asks for one of them. */
export function sendModels(res: http.ServerResponse, served: string[], id: string | undefined): void {
  if (id) return served.includes(id) ? sendJson(res, 200, model(id)) : sendError(res, modelNotFound(id));
  return sendJson(res, 200, { object: 'list', data: served.map(model) });
}
