@echo off
rem The iam-login-profile provider plugin on Windows: runs the bundled plugin with the Node.js on PATH (22 or newer).
where node >nul 2>nul
if errorlevel 1 (
  echo pulumi-resource-iam-login-profile needs Node.js 22 or newer on PATH, and there is no node on PATH. Install it from https://nodejs.org 1>&2
  exit /b 1
)
node "%~dp0launcher.js" %*
