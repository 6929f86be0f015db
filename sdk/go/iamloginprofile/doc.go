// Manage AWS IAM login profiles (IAM users' console passwords) as code: a Pulumi dynamic provider with chosen or generated passwords, in-place rotation, drift detection and secrets end to end.
package iamloginprofile
