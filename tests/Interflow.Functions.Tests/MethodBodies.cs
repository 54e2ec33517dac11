using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace Interflow.Functions.Tests;

/// <summary>What a compiled method's body refers to: methods, constructors and fields, and string literals, in order.</summary>
public sealed record BodyReferences(IReadOnlyList<MemberInfo> Members, IReadOnlyList<string> Strings)
{
    public IEnumerable<MethodBase> Calls => Members.OfType<MethodBase>();

    public IEnumerable<FieldInfo> Fields => Members.OfType<FieldInfo>();
}

/// <summary>
/// Reads a compiled method's IL (an async method's state machine included), so that tests can check what a function
/// does in the assembly the host runs.
/// </summary>
public static class MethodBodies
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public static BodyReferences Of(MethodInfo method)
    {
        var body = method.GetCustomAttribute<AsyncStateMachineAttribute>() is { } async
            ? async.StateMachineType.GetMethod("MoveNext", BindingFlags.Instance | BindingFlags.NonPublic)!
            : method;
        return Read(body);
    }

    private static BodyReferences Read(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray() ?? [];
        var module = method.Module;
        var genericTypes = method.DeclaringType?.GetGenericArguments();
        var genericMethods = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var members = new List<MemberInfo>();
        var strings = new List<string>();
        for (var at = 0; at < il.Length;)
        {
            short value = il[at++];
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il[at++]);
            }
            var opCode = OpCodesByValue[value];
            switch (opCode.OperandType)
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok:
                    members.Add(module.ResolveMember(BitConverter.ToInt32(il, at), genericTypes, genericMethods)!);
                    at += 4;
                    break;
                case OperandType.InlineString:
                    strings.Add(module.ResolveString(BitConverter.ToInt32(il, at)));
                    at += 4;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                default:
                    at += OperandSize(opCode.OperandType);
                    break;
            }
        }
        return new BodyReferences(members, strings);
    }

    private static int OperandSize(OperandType type) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => 4,
    };
}
