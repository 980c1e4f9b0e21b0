// The stored provider text of every resource of this package is `module.exports=require('pulumi-databricks-scim/s').<code>`
// (provider/resources/dynamicResource.ts): this file is that `s`, kept at the package root so the text stays short.
"use strict";
module.exports = require("./dist/provider/shims/short");
