// The Lambda function's entry file (Handler: index.handler): the handler s3doctor exports as `s3doctor/lambda`.
export { handler } from 's3doctor/lambda';
