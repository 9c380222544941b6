/**
 * Child-process entry for benchmarks: runs the local AWS-compatible servers in their own process, so the
 * servers and the code under test do not share one event loop, and reports their endpoints over IPC.
 */
import { startLocalServers } from '../../../lib/local/servers.js';

const servers = await startLocalServers();
process.send!({ dynamodbEndpoint: servers.dynamodbEndpoint, sqsEndpoint: servers.sqsEndpoint, sesEndpoint: servers.sesEndpoint });
process.on('disconnect', () => void servers.close().then(() => process.exit(0)));
