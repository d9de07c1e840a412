-- wrk script: POST the DUIS request in the file named by the BODY environment variable, as the engine sends it.
local f = assert(io.open(os.getenv("BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/xml"
