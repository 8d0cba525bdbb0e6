using Skillancer.Deploy.Engine.Primitives;
using Skillancer.Deploy.Engine.Release.Git;
using Skillancer.Deploy.Engine.Release.Npm;

namespace Skillancer.Deploy.Engine.Release;

/// <summary>
/// The runbook's "Create Release": check out the base branch, pull it fast-forward only, create
/// release/vX.Y.Z, set the version as npm does, commit "chore(release): vX.Y.Z" and push with
/// upstream. Every step is asked for first. A failing step says what it left behind and how to
/// resume or clean up; nothing half-done is hidden.
/// </summary>
public sealed class ReleaseCreator
{
    private const string Activity = "Creating release";
    private readonly ReleasePlan _plan;
    private readonly ReleaseRequest _request;
    private readonly OperationHost _host;
    private readonly string _target;
    private readonly int _stepCount;
    private int _step;
    private bool _describedOnly;
    private IReadOnlyList<FileChange> _files = [];
    private string? _commit;

    private ReleaseCreator(ReleasePlan plan, ReleaseRequest request, OperationHost host)
    {
        _plan = plan;
        _request = request;
        _host = host;
        _target = $"repository {plan.Repository.Root}";
        _stepCount = (plan.CurrentBranch == plan.BaseBranch ? 4 : 5) + (request.NoPush ? 0 : 1);
    }

    /// <summary>Creates the release; returns null under -WhatIf or when the user declines a step.</summary>
    public static async Task<ReleaseResult?> CreateAsync(ReleaseRequest request, OperationHost host, CancellationToken cancellationToken)
    {
        var repository = await GitRepository.OpenAsync(request.Path, host, cancellationToken).ConfigureAwait(false);
        var plan = await ReleasePreconditions.CheckAsync(repository, request, host).ConfigureAwait(false);
        if (plan is null)
        {
            host.Warning("Stopped at your request before anything was changed.");
            return null;
        }

        try
        {
            return await new ReleaseCreator(plan, request, host).RunAsync().ConfigureAwait(false);
        }
        finally
        {
            host.Progress(new ProgressUpdate(Activity, "Done", 100, Completed: true));
        }
    }

    private async Task<ReleaseResult?> RunAsync()
    {
        var repository = _plan.Repository;
        var (baseBranch, remote, branch) = (_plan.BaseBranch, _plan.Remote, _plan.Branch);
        var tag = ReleaseVersion.Tag(_plan.Version);
        try
        {
            if (_plan.CurrentBranch != baseBranch)
            {
                await StepAsync(ReleaseStep.CheckoutBase, $"Check out {baseBranch}", () => repository.CheckoutAsync(baseBranch)).ConfigureAwait(false);
            }

            await StepAsync(ReleaseStep.Pull, $"Pull {baseBranch} from {remote} (fast-forward only)", () => repository.PullFastForwardAsync(remote, baseBranch)).ConfigureAwait(false);
            await StepAsync(ReleaseStep.CreateBranch, $"Create branch {branch}", () => repository.CreateBranchAsync(branch)).ConfigureAwait(false);
            var planned = VersionFiles.Plan(repository.Root, _plan.Version.ToString(), _request.Workspaces);
            await StepAsync(ReleaseStep.SetVersion, $"Set version {_plan.Version} in {string.Join(", ", planned.Select(f => f.RelativePath))}", () =>
            {
                _files = planned;
                VersionFiles.Write(planned);
                return Task.CompletedTask;
            }).ConfigureAwait(false);
            await StepAsync(ReleaseStep.Commit, $"Commit \"chore(release): {tag}\"", async () =>
            {
                if (_files.Count > 0)
                {
                    await repository.AddAsync(_files.Select(f => f.RelativePath)).ConfigureAwait(false);
                }

                _commit = await repository.CommitAsync($"chore(release): {tag}").ConfigureAwait(false);
            }).ConfigureAwait(false);
            if (!_request.NoPush)
            {
                await StepAsync(ReleaseStep.Push, $"Push {branch} to {remote} and set its upstream", () => repository.PushAsync(remote, branch)).ConfigureAwait(false);
            }
        }
        catch (StepDeclinedException declined)
        {
            _host.Warning($"Stopped at your request before \"{declined.Action}\". {StateBefore(declined.Step)}");
            return null;
        }

        if (_describedOnly)
        {
            return null;
        }

        return new ReleaseResult
        {
            Version = _plan.Version.ToString(),
            Tag = tag,
            Branch = branch,
            BaseBranch = baseBranch,
            Commit = _commit!,
            PreviousVersion = _plan.PreviousVersion.ToString(),
            Pushed = !_request.NoPush,
            ChangedFiles = _files.Select(f => f.RelativePath).ToList(),
            Repository = repository.Root,
        };
    }

    private async Task StepAsync(ReleaseStep step, string action, Func<Task> run)
    {
        var approval = _host.ShouldProcess(_target, action);
        if (approval == Approval.Declined)
        {
            throw new StepDeclinedException(step, action);
        }

        if (approval == Approval.WhatIf)
        {
            _describedOnly = true;
            return;
        }

        _host.Progress(new ProgressUpdate($"{Activity} {ReleaseVersion.Tag(_plan.Version)}", action, _step++ * 100 / _stepCount));
        try
        {
            await run().ConfigureAwait(false);
        }
        catch (DeployException e)
        {
            throw Failed(step, action, e);
        }
        catch (IOException e)
        {
            throw Failed(step, action, new DeployException(ReleaseErrors.ReleaseStepFailed, DeployErrorCategory.WriteError, e.Message, null, e));
        }
    }

    private DeployException Failed(ReleaseStep step, string action, DeployException cause)
    {
        var errorId = cause.ErrorId switch
        {
            ReleaseErrors.PushRejected or ReleaseErrors.RemoteUnreachable or ReleaseErrors.GitNotInstalled or ReleaseErrors.PackageJsonInvalid => cause.ErrorId,
            _ when step == ReleaseStep.Pull && cause.Message.Contains("fast-forward", StringComparison.OrdinalIgnoreCase) => ReleaseErrors.BaseBranchDiverged,
            _ => ReleaseErrors.ReleaseStepFailed,
        };
        return new DeployException(errorId, cause.Category,
            Sentences.Join($"The release step \"{action}\" failed: {cause.Message}", StateBefore(step)), _plan.Branch, cause);
    }

    /// <summary>What the repository looks like when <paramref name="step"/> did not complete, and how to go on or back.</summary>
    private string StateBefore(ReleaseStep step)
    {
        var (baseBranch, remote, branch) = (_plan.BaseBranch, _plan.Remote, _plan.Branch);
        var cleanUp = $"git checkout -- . && git checkout {baseBranch} && git branch -D {branch}";
        var files = string.Join(", ", _files.Select(f => f.RelativePath));
        return step switch
        {
            ReleaseStep.CheckoutBase => $"Nothing was changed; the repository is still on {_plan.CurrentBranch ?? "a detached HEAD"}.",
            ReleaseStep.Pull => $"The repository is on {baseBranch}; nothing else was changed.",
            ReleaseStep.CreateBranch => $"No branch was created; the repository is on {baseBranch}.",
            ReleaseStep.SetVersion => $"The branch {branch} exists; check its version files with git status. To clean up: {cleanUp}",
            ReleaseStep.Commit => $"The branch {branch} holds the version changes uncommitted ({files}). " +
                $"To finish by hand: git commit -m \"chore(release): {ReleaseVersion.Tag(_plan.Version)}\" && git push --set-upstream {remote} {branch}. To clean up: {cleanUp}",
            ReleaseStep.Push => $"{PushFailure.Resume("release commit", _commit, remote, branch)} To clean up: git checkout {baseBranch} && git branch -D {branch}",
            _ => "See the repository's state with git status.",
        };
    }

    private enum ReleaseStep
    {
        CheckoutBase,
        Pull,
        CreateBranch,
        SetVersion,
        Commit,
        Push,
    }

    private sealed class StepDeclinedException(ReleaseStep step, string action) : Exception(action)
    {
        public ReleaseStep Step { get; } = step;

        public string Action { get; } = action;
    }
}
