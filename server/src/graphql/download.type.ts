import { Field, ObjectType } from "type-graphql";
import type { Download } from "../domain/downloads.js";

@ObjectType({ description: "A stored file, downloadable for a short time through a presigned URL" })
export class DownloadFile implements Download {
  @Field(() => String, { description: "File name as stored (chosen by the server: model.json, weights-0001.bin, data.csv, ...)" })
  name!: string;

  @Field(() => String, { description: "Short-lived URL; the file downloads as an attachment" })
  url!: string;
}
